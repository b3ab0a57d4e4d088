using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Qualifications;

public sealed record QualificationView(string Code, string Name);

public sealed record QualificationList(IReadOnlyList<QualificationView> Items);

public sealed record NewQualification(string? Code, string? Name);

/// <summary>
/// What an organisation recognises (first aid, awareness training, a driving licence). Members
/// see the list; coordinators add to it. Granting them to people is in MembersApi.
/// </summary>
public static class QualificationsApi
{
    public const string QualificationExists = "qualification-exists";
    public const int MaxCodeLength = 50;

    public static IEndpointRouteBuilder MapQualifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orgs/{org}/qualifications").RequireAuthorization(ShiftsAuthentication.SignedIn);
        group.MapGet("/", ListQualifications);
        group.MapPost("/", AddQualification);
        return app;
    }

    public static bool IsCode(string? value) => value is { Length: >= 1 and <= MaxCodeLength } && OrganisationRules.Kebab().IsMatch(value);

    private static async Task<Results<Ok<QualificationList>, ProblemHttpResult>> ListQualifications(
        string org, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var organisation = await Organisation.FindAsync(connection, null, org, cancellationToken);
        if (organisation is null)
        {
            return Problem.NotFound($"There is no organisation '{org}'.");
        }

        if (!caller.IsMemberOf(organisation.Slug) && !caller.IsPlatformAdmin)
        {
            return Problem.Forbidden("Only members of the organisation can see its qualifications.");
        }

        await using var command = new NpgsqlCommand("SELECT code, name FROM qualifications WHERE org_id = @org ORDER BY code", connection);
        command.Parameters.AddWithValue("org", organisation.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<QualificationView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new QualificationView(reader.GetString(0), reader.GetString(1)));
        }

        return TypedResults.Ok(new QualificationList(items));
    }

    private static async Task<Results<Created<QualificationView>, ProblemHttpResult>> AddQualification(
        string org, NewQualification request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Code))
        {
            errors.Add("code", "'code' is required, e.g. first-aid.");
        }
        else if (!IsCode(request.Code))
        {
            errors.Add("code", $"'code' must be 1 to {MaxCodeLength} lower-case letters, digits and single hyphens, e.g. first-aid.");
        }

        errors.PlainText("name", request.Name, 200);

        return await transactions.RunAsync<Results<Created<QualificationView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can add qualifications.");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var view = new QualificationView(request.Code!, request.Name!.Trim());
            await using var insert = new NpgsqlCommand("""
                INSERT INTO qualifications (org_id, code, name) VALUES (@org, @code, @name)
                ON CONFLICT (org_id, code) DO NOTHING
                """, tx.Connection, tx);
            insert.Parameters.AddWithValue("org", organisation.Id);
            insert.Parameters.AddWithValue("code", view.Code);
            insert.Parameters.AddWithValue("name", view.Name);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return Problem.Conflict(QualificationExists, $"The organisation already has a qualification '{view.Code}'.");
            }

            return TypedResults.Created($"/api/orgs/{organisation.Slug}/qualifications", view);
        }, cancellationToken);
    }
}
