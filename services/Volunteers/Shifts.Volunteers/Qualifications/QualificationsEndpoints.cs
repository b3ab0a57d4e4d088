using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Organisations;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Qualifications;

public sealed record QualificationView(string Code, string Name)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private QualificationView()
        : this(default!, default!)
    {
    }
}

public sealed record QualificationList(IReadOnlyList<QualificationView> Items);

public sealed record NewQualification(string? Code, string? Name);

/// <summary>
/// What an organisation recognises (first aid, awareness training, a driving licence). Members
/// see the list; coordinators add to it. Granting them to people is Members/GrantQualifications.
/// </summary>
public static class QualificationsEndpoints
{
    public const string QualificationExists = "qualification-exists";

    public static IEndpointRouteBuilder MapQualifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orgs/{org}/qualifications").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Qualifications");
        group.MapGet("/", ListQualifications)
            .WithSummary("List the organisation's qualifications (members)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", AddQualification)
            .WithSummary("Add a qualification to the organisation (coordinators)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, QualificationExists);
        return app;
    }

    private static async Task<Results<Ok<QualificationList>, ProblemHttpResult>> ListQualifications(
        string org, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var access = await OrganisationAccess.RequireAsync(connection, null, org, caller, Requirement.MemberOrPlatformAdmin,
            "Only members of the organisation can see its qualifications.", cancellationToken);
        if (!access.Granted)
        {
            return access.Refusal;
        }

        var items = await connection.QueryAsync<QualificationView>(new CommandDefinition(
            "SELECT code, name FROM qualifications WHERE org_id = @orgId ORDER BY code", new { orgId = access.Organisation.Id }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new QualificationList(items.ToList()));
    }

    private static async Task<Results<Created<QualificationView>, ProblemHttpResult>> AddQualification(
        string org, NewQualification request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Code))
        {
            errors.Add("code", "'code' is required, e.g. first-aid.");
        }
        else if (!QualificationRules.IsCode(request.Code))
        {
            errors.Add("code", $"'code' must be 1 to {QualificationRules.MaxCodeLength} lower-case letters, digits and single hyphens, e.g. first-aid.");
        }

        errors.PlainText("name", request.Name, 200);

        return await transactions.RunAsync<Results<Created<QualificationView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Coordinator,
                "Only coordinators of the organisation can add qualifications.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var organisation = access.Organisation;
            var view = new QualificationView(request.Code!, request.Name!.Trim());
            var added = await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO qualifications (org_id, code, name) VALUES (@orgId, @Code, @Name)
                ON CONFLICT (org_id, code) DO NOTHING
                """, new { orgId = organisation.Id, view.Code, view.Name }, tx, cancellationToken: ct));
            if (added == 0)
            {
                return Problem.Conflict(QualificationExists, $"The organisation already has a qualification '{view.Code}'.");
            }

            // The events service keeps the codes, so that a shift cannot require one the organisation does not have.
            await Outbox.EnqueueAsync(tx, new QualificationAdded(organisation.Slug, view.Code, view.Name), ct);

            return TypedResults.Created($"/api/orgs/{organisation.Slug}/qualifications", view);
        }, cancellationToken);
    }
}
