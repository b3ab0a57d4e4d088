using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
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
public static class OrganisationsApi
{
    public const string SlugTaken = "slug-taken";

    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orgs", CreateOrganisation).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapGet("/api/orgs/{org}", GetOrganisation);
        app.MapPatch("/api/orgs/{org}", PatchOrganisation).RequireAuthorization(ShiftsAuthentication.SignedIn);
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
            const string sql = """
                INSERT INTO organisations (id, slug, name, time_zone, cancellation_deadline, gap_alert_lead_times)
                VALUES (@id, @slug, @name, @zone, @deadline, @leads)
                ON CONFLICT (slug) DO NOTHING
                """;
            await using var insert = new NpgsqlCommand(sql, tx.Connection, tx);
            insert.Parameters.AddWithValue("id", org.Id);
            insert.Parameters.AddWithValue("slug", org.Slug);
            insert.Parameters.AddWithValue("name", org.Name);
            insert.Parameters.AddWithValue("zone", org.TimeZone);
            insert.Parameters.AddWithValue("deadline", org.CancellationDeadline);
            insert.Parameters.AddWithValue("leads", org.GapAlertLeadTimes);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
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
            var current = await Organisation.FindAsync(tx, org, ct, forUpdate: true);
            if (current is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.MayAdminister(current.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can change its settings.");
            }

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
                const string sql = """
                    UPDATE organisations SET name = @name, time_zone = @zone, cancellation_deadline = @deadline,
                        gap_alert_lead_times = @leads, updated_at = now()
                    WHERE id = @id
                    """;
                await using var update = new NpgsqlCommand(sql, tx.Connection, tx);
                update.Parameters.AddWithValue("id", changed.Id);
                update.Parameters.AddWithValue("name", changed.Name);
                update.Parameters.AddWithValue("zone", changed.TimeZone);
                update.Parameters.AddWithValue("deadline", changed.CancellationDeadline);
                update.Parameters.AddWithValue("leads", changed.GapAlertLeadTimes);
                await update.ExecuteNonQueryAsync(ct);
                await Outbox.EnqueueAsync(tx, new OrganisationChanged(changed.Id, changed.Slug, changed.Name, changed.TimeZone, changed.CancellationDeadline, changed.GapAlertLeadTimes), ct);
            }

            return TypedResults.Ok(OrganisationView.From(changed));
        }, cancellationToken);
    }
}
