using Shifts.Web.Components.Members;

namespace Shifts.Web.Tests.Members;

/// <summary>The member page's role: admins get the form, coordinators read why there is none (the API refuses them anyway).</summary>
public sealed class RoleFormTests : ComponentTest
{
    private IRenderedComponent<RoleForm> Role(bool admin, string role = "helper") =>
        Render<RoleForm>(p => p.Add(c => c.Name, "Ben Okafor").Add(c => c.Role, role).Add(c => c.IsAdmin, admin));

    [Fact]
    public void An_admin_sees_the_three_roles_with_the_current_one_chosen_and_the_button()
    {
        var form = Role(admin: true, role: "coordinator");

        Assert.Equal("Ben Okafor ist Koordinator*in.", form.Find("section > p").TextContent);
        var radios = form.FindAll("input[type=radio][name=role]");
        Assert.Equal(["helper", "coordinator", "admin"], radios.Select(r => r.GetAttribute("value")));
        Assert.True(radios[1].HasAttribute("checked"));
        Assert.All(radios, r => Assert.NotNull(form.Find($"label[for={r.Id}]")));
        Assert.Equal("Rolle ändern", form.Find("form button[type=submit]").TextContent);
        Assert.Equal("post", form.Find("form").GetAttribute("method"));
    }

    [Fact]
    public void A_coordinator_sees_the_role_but_no_form_and_no_button()
    {
        var form = Role(admin: false);

        Assert.Equal("Ben Okafor ist Helfer*in.", form.Find("section > p").TextContent);
        Assert.Empty(form.FindAll("form"));
        Assert.Empty(form.FindAll("button"));
        Assert.Contains("Rollen ändern nur die Admins der Organisation.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void In_English_the_role_reads_English()
    {
        Speak("en");
        var form = Role(admin: true, role: "admin");

        Assert.Equal("Ben Okafor is Admin.", form.Find("section > p").TextContent);
        Assert.Equal("Change role", form.Find("form button").TextContent);
    }
}
