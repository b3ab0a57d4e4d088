using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Qualifications;

namespace Shifts.Volunteers.Members;

/// <summary>The member list with contact details, sorted by name, searched by name or filtered by a qualification; each page read is logged.</summary>
internal static class ListMembers
{
    public static async Task<Results<Ok<Page<MemberView>>, ProblemHttpResult>> HandleAsync(
        string org, string? cursor, string? limit, string? search, string? qualification,
        Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var size = errors.Limit(limit);
        errors.PlainText("search", search, 100, required: false);
        if (qualification is not null && !QualificationRules.IsCode(qualification))
        {
            errors.Add("qualification", "'qualification' must be a qualification code such as first-aid.");
        }

        var after = errors.Cursor(cursor, MemberPosition.Read);

        return await transactions.RunAsync<Results<Ok<Page<MemberView>>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Coordinator,
                "Only coordinators of the organisation can see its members' contact details.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var organisation = access.Organisation;
            var query = new MemberQuery(null, string.IsNullOrWhiteSpace(search) ? null : search.Trim(), qualification, after, size + 1);
            var page = Page.Of(await MemberRows.ReadAsync(tx, organisation.Id, query, ct), size, row => row.View, row => row.Position.ToCursor());
            var action = query.Search is null && qualification is null ? ContactReads.List : ContactReads.Search;
            await MembershipRows.LogContactAccessAsync(tx, caller, organisation.Id, action, page.Items.Count, time.GetUtcNow(), ct);
            return TypedResults.Ok(page);
        }, cancellationToken);
    }
}
