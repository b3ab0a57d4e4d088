using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Claims;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.ServiceDefaults.Security;
using Shifts.Events.Volunteers;

namespace Shifts.Events.Invitations;

public sealed record InvitationRequest(Guid[]? VolunteerIds, string? Message, DateTimeOffset? ExpiresAt);

/// <summary>
/// POST /api/shifts/{shiftId}/invitations: a coordinator asks members to take a shift. Each person
/// gets a single-purpose token (only its hash is stored) that lapses at the shift's start or the
/// coordinator's earlier date, and a mail (ShiftInvitationSent, through the outbox). Someone already
/// on the shift, already asked, or without the shift's qualification is skipped and said so.
/// </summary>
public static class SendInvitations
{
    public const int MaxPeople = 50;
    public const int MaxMessage = 1000;

    public static async Task<Results<Accepted<InvitationBatch>, ProblemHttpResult>> Handle(
        Guid shiftId, InvitationRequest? request, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var ids = request?.VolunteerIds?.Where(id => id != Guid.Empty).Distinct().ToArray() ?? [];
        if (ids.Length is 0 or > MaxPeople)
        {
            return Problem.Validation("volunteerIds", $"'volunteerIds' must name 1 to {MaxPeople} members.");
        }

        var message = string.IsNullOrWhiteSpace(request!.Message) ? null : request.Message.Trim();
        if (message is { Length: > MaxMessage })
        {
            return Problem.Validation("message", $"'message' may be at most {MaxMessage} characters long.");
        }

        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } asked && asked <= now)
        {
            return Problem.Validation("expiresAt", "'expiresAt' must lie in the future.");
        }

        return await transactions.RunAsync<Results<Accepted<InvitationBatch>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var connection = tx.Connection!;
            var shift = await ShiftState.LoadAsync(tx, shiftId, ct);
            if (shift is null || !shift.IsVisibleTo(caller))
            {
                return Problem.NotFound("There is no such shift.");
            }

            if (!caller.IsCoordinatorOf(shift.Org))
            {
                return Problem.Forbidden("Only the organisation's coordinators invite people to its shifts.");
            }

            if (!shift.IsBookable(now))
            {
                return Problem.Conflict(ClaimsApi.ShiftClosed, shift.ClosedReason(now));
            }

            const string people = $"""
                SELECT m.volunteer_id AS id,
                       EXISTS (SELECT 1 FROM claims c WHERE c.shift_id = @shiftId AND c.volunteer_id = m.volunteer_id AND c.status = '{ClaimStatus.Confirmed}') AS holds_claim,
                       EXISTS (SELECT 1 FROM shift_invitations i WHERE i.shift_id = @shiftId AND i.volunteer_id = m.volunteer_id AND i.state = 'sent' AND i.expires_at > @now) AS invited,
                       (@qualification::text IS NULL OR EXISTS (SELECT 1 FROM qualifications q WHERE q.volunteer_id = m.volunteer_id AND q.org = m.org AND q.code = @qualification)) AS qualified
                FROM memberships m WHERE m.org = @org AND m.volunteer_id = ANY(@ids)
                """;
            var found = (await connection.QueryAsync<Person>(new CommandDefinition(people,
                new { shiftId, now, qualification = shift.RequiredQualification, org = shift.Org, ids }, tx, cancellationToken: ct))).ToDictionary(p => p.Id);
            var strangers = ids.Where(id => !found.ContainsKey(id)).ToList();
            if (strangers.Count > 0)
            {
                return Problem.Validation("volunteerIds", $"Not members of the organisation: {string.Join(", ", strangers)}.");
            }

            var expiresAt = request.ExpiresAt is { } until && until < shift.StartsAt ? until : shift.StartsAt;
            var details = (await ShiftDetailsReader.ReadAsync(tx, shiftId, ct))!;
            var coordinatorName = await VolunteerNames.OfAsync(connection, caller.RequiredId, ct, tx);
            var skipped = new List<SkippedInvitation>();
            var sent = new List<Guid>();
            foreach (var id in ids)
            {
                var person = found[id];
                var reason = person.HoldsClaim ? "holds-claim" : person.Invited ? "already-invited" : !person.Qualified ? "qualification-missing" : null;
                if (reason is not null)
                {
                    skipped.Add(new SkippedInvitation(id, reason));
                    continue;
                }

                var invitationId = Guid.CreateVersion7();
                var (token, hash) = OpaqueTokens.Create();
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE shift_invitations SET state = 'expired' WHERE shift_id = @shiftId AND volunteer_id = @id AND state = 'sent';
                    INSERT INTO shift_invitations (id, shift_id, volunteer_id, invited_by, message, token_hash, expires_at)
                    VALUES (@invitationId, @shiftId, @id, @by, @message, @hash, @expiresAt);
                    """, new { invitationId, shiftId, id, by = caller.RequiredId, message, hash, expiresAt }, tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, new ShiftInvitationSent(invitationId, id, caller.RequiredId,
                    string.IsNullOrWhiteSpace(coordinatorName) ? caller.Name ?? "" : coordinatorName, message, token, expiresAt, details), ct);
                sent.Add(invitationId);
            }

            var items = sent.Count == 0 ? [] : await InvitationRows.ForShiftAsync(connection, tx, shiftId, now, ct, [.. sent]);
            return TypedResults.Accepted($"/api/shifts/{shiftId}/invitations", new InvitationBatch(items, skipped));
        }, cancellationToken);
    }

    private sealed class Person
    {
        public Guid Id { get; init; }
        public bool HoldsClaim { get; init; }
        public bool Invited { get; init; }
        public bool Qualified { get; init; }
    }
}
