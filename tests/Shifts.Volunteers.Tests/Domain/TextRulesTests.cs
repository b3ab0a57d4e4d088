using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Tests.Domain;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("anna@example.org", true)]
    [InlineData("  anna@example.org ", true)]
    [InlineData("Anna <anna@example.org>", false)]
    [InlineData("anna", false)]
    [InlineData("a@", false)]
    [InlineData(null, false)]
    public void An_email_is_one_address_as_a_person_types_it(string? value, bool valid) => Assert.Equal(valid, TextRules.IsEmail(value));

    [Fact]
    public void An_email_is_at_most_254_characters() =>
        Assert.False(TextRules.IsEmail(new string('a', 243) + "@example.org"));

    [Fact]
    public void Plain_text_has_no_control_characters()
    {
        var errors = new ValidationErrors().PlainText("name", "Anna\nMüller", 200);
        Assert.Equal(["name"], Fields.Of(errors));
        Assert.False(new ValidationErrors().PlainText("name", "Anna Müller", 200).Any);
    }
}
