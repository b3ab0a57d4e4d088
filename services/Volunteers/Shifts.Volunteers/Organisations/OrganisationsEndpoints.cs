using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Organisations;

public sealed record OrganisationView(string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline, IReadOnlyList<TimeSpan> GapAlertLeadTimes)
{
    public static OrganisationView From(Organisation org)
    {
        ArgumentNullException.ThrowIfNull(org);
        return new(org.Slug, org.Name, org.TimeZone, org.CancellationDeadline, org.GapAlertLeadTimes);
    }
}

public sealed record NewOrganisation(string? Slug, string? Name, string? TimeZone, TimeSpan? CancellationDeadline, TimeSpan[]? GapAlertLeadTimes);

/// <summary>Absent (or null) fields stay as they are. The slug cannot change: replicas and tokens know the organisation by it.</summary>
public sealed record OrganisationPatch(string? Name, string? TimeZone, TimeSpan? CancellationDeadline, TimeSpan[]? GapAlertLeadTimes);

/// <summary>Organisations: the platform admin registers them, their admins change their settings, anyone may read them.</summary>
public static class OrganisationsEndpoints
{
    public const string SlugTaken = "slug-taken";

    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapGroup("/api/orgs").WithTags("Organisations");
        orgs.MapPost("", CreateOrganisation)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Register an organisation (the platform admin)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status409Conflict, SlugTaken);
        orgs.MapGet("/{org}", GetOrganisation)
            .WithSummary("Read an organisation's name and settings")
            .ProducesProblems(StatusCodes.Status404NotFound);
        orgs.MapPatch("/{org}", PatchOrganisation)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Change an organisation's name or settings (its admins)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<OrganisationView>, ProblemHttpResult>> CreateOrganisation(
        NewOrganisation request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        if (!caller.IsPlatformAdmin)
        {
            return Problem.Forbidden("Only the platform admin can register organisations.");
        }

        var errors = new ValidationErrors();
        OrganisationRules.Slug(errors, request.Slug);
        errors.PlainText("name", request.Name, 200);
        OrganisationRules.TimeZone(errors, request.TimeZone, required: true);
        OrganisationRules.CancellationDeadline(errors, request.CancellationDeadline);
        OrganisationRules.GapAlertLeadTimes(errors, request.GapAlertLeadTimes);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var org = new Organisation(Guid.CreateVersion7(), request.Slug!, request.Name!.Trim(), request.TimeZone!,
            request.CancellationDeadline ?? Organisation.DefaultCancellationDeadline,
            [.. (request.GapAlertLeadTimes ?? Organisation.DefaultGapAlertLeadTimes).OrderDescending()]);

        var created = await transactions.RunAsync(async (tx, ct) =>
        {
            var inserted = await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO organisations (id, slug, name, time_zone, cancellation_deadline, gap_alert_lead_times)
                VALUES (@Id, @Slug, @Name, @TimeZone, @CancellationDeadline, @GapAlertLeadTimes)
                ON CONFLICT (slug) DO NOTHING
                """, org, tx, cancellationToken: ct));
            if (inserted == 0)
            {
                return false;
            }

            await Outbox.EnqueueAsync(tx, new OrganisationRegistered(org.Id, org.Slug, org.Name, org.TimeZone, org.CancellationDeadline, org.GapAlertLeadTimes), ct);
            return true;
        }, cancellationToken);

        if (!created)
        {
            return Problem.Conflict(SlugTaken, $"The slug '{org.Slug}' is taken by another organisation.");
        }

        return TypedResults.Created($"/api/orgs/{org.Slug}", OrganisationView.From(org));
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetOrganisation(string org, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var found = await Organisation.FindAsync(connection, null, org, cancellationToken);
        return found is null ? Problem.NotFound($"There is no organisation '{org}'.") : TypedResults.Ok(OrganisationView.From(found));
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> PatchOrganisation(
        string org, OrganisationPatch patch, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (patch.Name is not null)
        {
            errors.PlainText("name", patch.Name, 200);
        }

        OrganisationRules.TimeZone(errors, patch.TimeZone, required: false);
        OrganisationRules.CancellationDeadline(errors, patch.CancellationDeadline);
        OrganisationRules.GapAlertLeadTimes(errors, patch.GapAlertLeadTimes);

        return await transactions.RunAsync<Results<Ok<OrganisationView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Admin,
                "Only the organisation's admins can change its settings.", ct, forUpdate: true);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var current = access.Organisation;

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var changed = current with
            {
                Name = patch.Name?.Trim() ?? current.Name,
                TimeZone = patch.TimeZone ?? current.TimeZone,
                CancellationDeadline = patch.CancellationDeadline ?? current.CancellationDeadline,
                GapAlertLeadTimes = patch.GapAlertLeadTimes is { } leads ? [.. leads.OrderDescending()] : current.GapAlertLeadTimes,
            };
            if (changed.Name != current.Name || changed.TimeZone != current.TimeZone
                || changed.CancellationDeadline != current.CancellationDeadline || !changed.GapAlertLeadTimes.SequenceEqual(current.GapAlertLeadTimes))
            {
                await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                    UPDATE organisations SET name = @Name, time_zone = @TimeZone, cancellation_deadline = @CancellationDeadline,
                        gap_alert_lead_times = @GapAlertLeadTimes, updated_at = now()
                    WHERE id = @Id
                    """, changed, tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, new OrganisationChanged(changed.Id, changed.Slug, changed.Name, changed.TimeZone, changed.CancellationDeadline, changed.GapAlertLeadTimes), ct);
            }

            return TypedResults.Ok(OrganisationView.From(changed));
        }, cancellationToken);
    }
}
