using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Profile;
using Shifts.Volunteers.Qualifications;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Members;

/// <summary>A member as coordinators see them: with contact details, so every read of it is logged.</summary>
public sealed record MemberView(Guid VolunteerId, string Name, string Email, string? Phone, string Role, IReadOnlyList<string> Qualifications);

public sealed record MemberPage(IReadOnlyList<MemberView> Items, string? NextCursor);

public sealed record NewMember(string? Name, string? Email, string? Role, string[]? Qualifications, string? Locale);

public sealed record RoleChange(string? Role);

public sealed record MembershipView(Guid VolunteerId, string Org, string Role);

public sealed record QualificationGrant(string[]? Codes);

public sealed record MemberQualifications(Guid VolunteerId, string Org, IReadOnlyList<string> Codes);

/// <summary>
/// Coordinators manage their organisation's people: invite them (a confirmation link is mailed;
/// only the person's click makes them a member, see ConsentApi), list them
/// with contact details, grant qualifications; admins change roles. Contact details are for
/// coordinators of the same organisation only, and each read of them is written to
/// contact_access_log in the read's own transaction.
/// </summary>
public static class MembersApi
{
    public const string LastAdmin = "last-admin";
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
    public const int MaxQualifications = 50;

    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/orgs/{org}/members").RequireAuthorization(ShiftsAuthentication.SignedIn);
        members.MapPost("/", AddMember);
        members.MapGet("/", ListMembers);
        members.MapGet("/{volunteerId:guid}", GetMember);
        members.MapPut("/{volunteerId:guid}/role", ChangeRole);
        members.MapPut("/{volunteerId:guid}/qualifications", GrantQualifications);
        return app;
    }

    /// <summary>
    /// Invites a person: a pending request and a confirmation mail, no membership (double opt-in).
    /// The answer is the same 202 for a stranger's address, a known one and a member's, and says
    /// nothing about the person: what the organisation sees until the click is the invitation
    /// (GET .../members/invitations), as the coordinator typed it.
    /// </summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> AddMember(
        string org, NewMember request, Caller caller, Transactions transactions, IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.PlainText("name", request.Name, 200);
        if (!LoginLinksApi.IsEmail(request.Email))
        {
            errors.Add("email", "A valid email address of at most 254 characters is required.");
        }

        if (request.Role is not null && !Memberships.IsRole(request.Role))
        {
            errors.Add("role", "'role' must be helper, coordinator or admin.");
        }

        ProfileRules.Locale(errors, request.Locale);
        var codes = CheckCodes(errors, "qualifications", request.Qualifications, required: false);
        var role = request.Role ?? "helper";

        return await transactions.RunAsync<Results<Accepted, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug) && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can add members.");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            if (role != "helper" && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can add coordinators and admins.");
            }

            if (await UnknownCodesAsync(tx, organisation.Id, codes, ct) is { Count: > 0 } unknown)
            {
                return Problem.Validation("qualifications", $"The organisation has no qualification {string.Join(", ", unknown)}.");
            }

            var ask = new MembershipAsk(MembershipRequests.InvitationKind, request.Email!, request.Name!, request.Locale ?? ProfileRules.DefaultLocale,
                role, codes, caller.RequiredId, string.IsNullOrWhiteSpace(caller.Name) ? null : caller.Name);
            await MembershipRequests.RequestAsync(tx, organisation, ask, configuration, time.GetUtcNow(), ct);
            return TypedResults.Accepted($"/api/orgs/{organisation.Slug}/members/invitations");
        }, cancellationToken);
    }

    private static async Task<Results<Ok<MemberPage>, ProblemHttpResult>> ListMembers(
        string org, string? cursor, string? limit, string? search, string? qualification,
        Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        int? pageSize = null;
        if (limit is not null)
        {
            if (int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                pageSize = parsed;
                errors.Range("limit", pageSize, 1, MaxPageSize);
            }
            else
            {
                errors.Add("limit", $"'limit' must be a whole number from 1 to {MaxPageSize}.");
            }
        }

        errors.PlainText("search", search, 100, required: false);
        if (qualification is not null && !QualificationsApi.IsCode(qualification))
        {
            errors.Add("qualification", "'qualification' must be a qualification code such as first-aid.");
        }

        string? afterName = null;
        var afterId = Guid.Empty;
        if (cursor is not null)
        {
            if (MemberCursor.TryDecode(cursor, out var name, out afterId))
            {
                afterName = name;
            }
            else
            {
                errors.Add("cursor", "'cursor' is not a cursor this list handed out.");
            }
        }

        return await transactions.RunAsync<Results<Ok<MemberPage>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can see its members' contact details.");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var size = pageSize ?? DefaultPageSize;
            var query = new MemberQuery(null, string.IsNullOrWhiteSpace(search) ? null : search.Trim(), qualification, afterName, afterId, size + 1);
            var rows = await ReadMembersAsync(tx, organisation.Id, query, ct);
            var page = rows.Take(size).ToList();
            var next = rows.Count > size ? MemberCursor.Encode(page[^1].SortName, page[^1].View.VolunteerId) : null;
            var action = query.Search is null && qualification is null ? "list" : "search";
            await Memberships.LogContactAccessAsync(tx, caller, organisation.Id, action, page.Count, time.GetUtcNow(), ct);
            return TypedResults.Ok(new MemberPage(page.Select(r => r.View).ToList(), next));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> GetMember(
        string org, Guid volunteerId, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<MemberView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can see its members' contact details.");
            }

            var found = await ReadMembersAsync(tx, organisation.Id, MemberQuery.One(volunteerId), ct);
            if (found.Count == 0)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            await Memberships.LogContactAccessAsync(tx, caller, organisation.Id, "read", 1, time.GetUtcNow(), ct);
            return TypedResults.Ok(found[0].View);
        }, cancellationToken);

    private static async Task<Results<Ok<MembershipView>, ProblemHttpResult>> ChangeRole(
        string org, Guid volunteerId, RoleChange request, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<MembershipView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only the organisation's admins can change roles.");
            }

            if (!Memberships.IsRole(request.Role))
            {
                return Problem.Validation("role", "'role' must be helper, coordinator or admin.");
            }

            var current = await Memberships.LockRoleAsync(tx, volunteerId, organisation.Id, ct);
            if (current is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            var role = request.Role!;
            if (current == role)
            {
                return TypedResults.Ok(new MembershipView(volunteerId, organisation.Slug, role));
            }

            if (current == "admin" && await AdminCountAsync(tx, organisation.Id, ct) <= 1)
            {
                return Problem.Conflict(LastAdmin, "The organisation's last admin cannot give up the role; make someone else admin first.");
            }

            await using (var update = new NpgsqlCommand(
                "UPDATE memberships SET role = @role, updated_at = now() WHERE volunteer_id = @volunteer AND org_id = @org", tx.Connection, tx))
            {
                update.Parameters.AddWithValue("role", role);
                update.Parameters.AddWithValue("volunteer", volunteerId);
                update.Parameters.AddWithValue("org", organisation.Id);
                await update.ExecuteNonQueryAsync(ct);
            }

            await Memberships.PublishAsync(tx, volunteerId, organisation.Slug, role, ct);
            return TypedResults.Ok(new MembershipView(volunteerId, organisation.Slug, role));
        }, cancellationToken);

    private static async Task<Results<Ok<MemberQualifications>, ProblemHttpResult>> GrantQualifications(
        string org, Guid volunteerId, QualificationGrant request, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var codes = CheckCodes(errors, "codes", request.Codes, required: true);
        return await transactions.RunAsync<Results<Ok<MemberQualifications>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can grant qualifications.");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            // The lock orders concurrent grants for one person, so their events leave in commit order.
            if (await Memberships.LockRoleAsync(tx, volunteerId, organisation.Id, ct) is null)
            {
                return Problem.NotFound("This person is not a member of the organisation.");
            }

            if (await UnknownCodesAsync(tx, organisation.Id, codes, ct) is { Count: > 0 } unknown)
            {
                return Problem.Validation("codes", $"The organisation has no qualification {string.Join(", ", unknown)}.");
            }

            await ReplaceQualificationsAsync(tx, volunteerId, organisation, codes, ct);
            return TypedResults.Ok(new MemberQualifications(volunteerId, organisation.Slug, codes));
        }, cancellationToken);
    }

    /// <summary>Distinct, sorted codes of a well-formed list; errors name the field otherwise.</summary>
    private static string[] CheckCodes(ValidationErrors errors, string field, string[]? codes, bool required)
    {
        if (codes is null)
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required: a list of qualification codes, possibly empty.");
            }

            return [];
        }

        if (codes.Length > MaxQualifications)
        {
            errors.Add(field, $"'{field}' may hold at most {MaxQualifications} codes.");
            return [];
        }

        if (codes.Any(c => !QualificationsApi.IsCode(c)))
        {
            errors.Add(field, $"Each entry of '{field}' must be a qualification code such as first-aid.");
            return [];
        }

        return [.. codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    internal static async Task<List<string>> UnknownCodesAsync(NpgsqlTransaction tx, Guid orgId, string[] codes, CancellationToken cancellationToken)
    {
        if (codes.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "SELECT code FROM qualifications WHERE org_id = @org AND code = ANY(@codes)", tx.Connection, tx);
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("codes", codes);
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }

        return codes.Where(c => !known.Contains(c)).ToList();
    }

    /// <summary>Makes the person's qualifications in the organisation exactly <paramref name="codes"/>; publishes them when that changed anything.</summary>
    internal static async Task ReplaceQualificationsAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation organisation, string[] codes, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH removed AS (
                DELETE FROM member_qualifications
                WHERE volunteer_id = @volunteer AND org_id = @org AND NOT (code = ANY(@codes))
                RETURNING 1
            ), added AS (
                INSERT INTO member_qualifications (volunteer_id, org_id, code)
                SELECT @volunteer, @org, unnest(@codes)
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added)
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        command.Parameters.AddWithValue("org", organisation.Id);
        command.Parameters.AddWithValue("codes", codes);
        var changes = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (changes > 0)
        {
            await Outbox.EnqueueAsync(tx, new QualificationsChanged(volunteerId, organisation.Slug, codes), cancellationToken);
        }
    }

    /// <summary>Counts the organisation's admins, locking their memberships so two admins cannot both step down at once.</summary>
    internal static async Task<int> AdminCountAsync(NpgsqlTransaction tx, Guid orgId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT volunteer_id FROM memberships WHERE org_id = @org AND role = 'admin' FOR UPDATE", tx.Connection, tx);
        command.Parameters.AddWithValue("org", orgId);
        var count = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            count++;
        }

        return count;
    }

    private sealed record MemberQuery(Guid? VolunteerId, string? Search, string? Qualification, string? AfterName, Guid AfterId, int Limit)
    {
        public static MemberQuery One(Guid volunteerId) => new(volunteerId, null, null, null, default, 1);
    }

    private sealed record MemberRow(MemberView View, string SortName);

    /// <summary>
    /// Members sorted by name, a keyset page after (AfterName, AfterId): the cost follows the page.
    /// The search matches any part of the name, case-insensitively, with LIKE's wildcards escaped.
    /// </summary>
    private static async Task<List<MemberRow>> ReadMembersAsync(NpgsqlTransaction tx, Guid orgId, MemberQuery query, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT v.id, v.name, v.email, v.phone, m.role,
                   ARRAY(SELECT q.code FROM member_qualifications q
                         WHERE q.volunteer_id = m.volunteer_id AND q.org_id = m.org_id ORDER BY q.code) AS qualifications,
                   lower(v.name) AS sort_name
            FROM memberships m
            JOIN volunteers v ON v.id = m.volunteer_id
            WHERE m.org_id = @org
              AND (@volunteer::uuid IS NULL OR m.volunteer_id = @volunteer)
              AND (@search::text IS NULL OR v.name ILIKE '%' || @search || '%')
              AND (@qualification::text IS NULL OR EXISTS (
                    SELECT 1 FROM member_qualifications f
                    WHERE f.volunteer_id = m.volunteer_id AND f.org_id = m.org_id AND f.code = @qualification))
              AND (@afterName::text IS NULL OR (lower(v.name), v.id) > (@afterName, @afterId))
            ORDER BY lower(v.name), v.id
            LIMIT @limit
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("volunteer", NpgsqlDbType.Uuid, (object?)query.VolunteerId ?? DBNull.Value);
        command.Parameters.AddWithValue("search", NpgsqlDbType.Text, query.Search is null ? DBNull.Value : EscapeLike(query.Search));
        command.Parameters.AddWithValue("qualification", NpgsqlDbType.Text, (object?)query.Qualification ?? DBNull.Value);
        command.Parameters.AddWithValue("afterName", NpgsqlDbType.Text, (object?)query.AfterName ?? DBNull.Value);
        command.Parameters.AddWithValue("afterId", query.AfterId);
        command.Parameters.AddWithValue("limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<MemberRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MemberRow(
                new MemberView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.GetFieldValue<string[]>(5)),
                reader.GetString(6)));
        }

        return rows;
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
