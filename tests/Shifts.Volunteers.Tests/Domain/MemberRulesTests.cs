using System.Security.Claims;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Members;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Tests.Domain;

/// <summary>Member-list cursors, qualification lists in requests, and who may do what in an organisation.</summary>
public sealed class MemberRulesTests
{
    [Fact]
    public void A_member_cursor_reads_back_the_position_it_was_written_from()
    {
        var position = new MemberPosition("zoë müller", Guid.NewGuid());
        var errors = new ValidationErrors();
        Assert.Equal(position, errors.Cursor(position.ToCursor(), MemberPosition.Read));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("AAAA")]
    [InlineData("%%%")]
    public void Anything_else_is_a_400_naming_cursor(string text)
    {
        var errors = new ValidationErrors();
        Assert.Null(errors.Cursor(text, MemberPosition.Read));
        Assert.Equal(["cursor"], Fields.Of(errors));
    }

    [Fact]
    public void A_cursor_of_another_list_or_with_bytes_left_over_is_refused()
    {
        var instantAndId = new CursorWriter().Instant(DateTimeOffset.UtcNow).Guid(Guid.NewGuid()).ToString();
        var longer = new CursorWriter().Text("anna").Guid(Guid.NewGuid()).Boolean(true).ToString();
        var errors = new ValidationErrors();
        Assert.Null(errors.Cursor(instantAndId, MemberPosition.Read));
        Assert.Null(errors.Cursor(longer, MemberPosition.Read));
        Assert.True(errors.Any);
    }

    [Fact]
    public void Qualification_codes_in_a_request_come_back_distinct_and_sorted()
    {
        var errors = new ValidationErrors();
        Assert.Equal(["driving", "first-aid"], QualificationCodes.Check(errors, "codes", ["first-aid", "driving", "first-aid"], required: true));
        Assert.False(errors.Any);
    }

    [Fact]
    public void A_qualification_list_is_required_only_where_the_request_says_so()
    {
        var grant = new ValidationErrors();
        var invitation = new ValidationErrors();
        Assert.Empty(QualificationCodes.Check(grant, "codes", null, required: true));
        Assert.Empty(QualificationCodes.Check(invitation, "qualifications", null, required: false));
        Assert.Equal(["codes"], Fields.Of(grant));
        Assert.Empty(Fields.Of(invitation));
    }

    [Fact]
    public void A_qualification_list_holds_at_most_fifty_well_formed_codes()
    {
        var tooMany = new ValidationErrors();
        QualificationCodes.Check(tooMany, "codes", [.. Enumerable.Range(0, QualificationCodes.MaxPerMember + 1).Select(i => $"q{i}")], required: true);
        var malformed = new ValidationErrors();
        QualificationCodes.Check(malformed, "codes", ["First Aid"], required: true);
        Assert.True(tooMany.Any);
        Assert.True(malformed.Any);
    }

    [Theory]
    [InlineData("helper", true)]
    [InlineData("coordinator", true)]
    [InlineData("admin", true)]
    [InlineData("Admin", false)]
    [InlineData("owner", false)]
    [InlineData(null, false)]
    public void A_role_is_helper_coordinator_or_admin(string? role, bool valid) => Assert.Equal(valid, Roles.IsRole(role));

    [Fact]
    public void Who_may_act_in_an_organisation()
    {
        const string Org = "kv-mitte";
        var helper = CallerWith(Roles.Helper);
        var coordinator = CallerWith(Roles.Coordinator);
        var admin = CallerWith(Roles.Admin);
        var platformAdmin = CallerWith(null, isPlatformAdmin: true);
        var stranger = CallerWith(null);

        bool[] Row(Requirement requirement) => [.. new[] { stranger, helper, coordinator, admin, platformAdmin }.Select(c => requirement.IsMetBy(c, Org))];

        //                                                     stranger helper coordinator admin platform admin
        Assert.Equal([false, true, true, true, true], Row(Requirement.MemberOrPlatformAdmin));
        Assert.Equal([false, false, true, true, false], Row(Requirement.Coordinator));
        Assert.Equal([false, false, true, true, true], Row(Requirement.CoordinatorOrPlatformAdmin));
        Assert.Equal([false, false, false, true, true], Row(Requirement.Admin));
        Assert.False(admin.MayAdminister("another-org"));
    }

    private static Caller CallerWith(string? role, bool isPlatformAdmin = false)
    {
        var identity = new ClaimsIdentity([new Claim(ShiftsClaims.Subject, Guid.NewGuid().ToString())], "test");
        var memberships = role is null ? [] : new[] { ("kv-mitte", role) };
        return Caller.From(new ClaimsPrincipal(identity), CallerState.From(isPlatformAdmin, memberships));
    }
}
