using Shifts.Web.Components.Layout;

namespace Shifts.Web.Tests.Layout;

/// <summary>Which navigation tab is lit on which page: the staffing page sits under /shifts but is the coordinators'.</summary>
public sealed class AppAreasTests
{
    [Theory]
    [InlineData("/shifts", AppArea.OpenShifts)]
    [InlineData("/shifts/", AppArea.OpenShifts)]
    [InlineData("/shifts/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21", AppArea.OpenShifts)]
    [InlineData("/shifts/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21/staffing", AppArea.Coordination)]
    [InlineData("/orgs/kv-mitte-ost/gaps", AppArea.Coordination)]
    [InlineData("/events/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21/plan", AppArea.Coordination)]
    [InlineData("/events/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21/check-in", AppArea.Coordination)]
    [InlineData("/orgs/kv-mitte-ost/events", AppArea.Coordination)]
    [InlineData("/orgs/kv-mitte-ost/events/manage", AppArea.Coordination)]
    [InlineData("/orgs/kv-mitte-ost/events/new", AppArea.Coordination)]
    [InlineData("/events/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21/edit", AppArea.Coordination)]
    [InlineData("/orgs/kv-mitte-ost/members", AppArea.Members)]
    [InlineData("/orgs/kv-mitte-ost/members/0193c3a2-5d1e-7cc0-9a55-1f6f0e4a8b21", AppArea.Members)]
    [InlineData("/orgs/kv-mitte-ost/members/invite", AppArea.Members)]
    [InlineData("/orgs/kv-mitte-ost/qualifications", AppArea.Members)]
    [InlineData("/me/shifts", AppArea.None)]
    [InlineData("/orgs/kv-mitte-ost/plan", AppArea.None)]
    [InlineData("/", AppArea.None)]
    public void A_path_belongs_to_one_area(string path, AppArea area) => Assert.Equal(area, AppAreas.Of(path));
}
