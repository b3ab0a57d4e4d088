using Shifts.Web.Components.Members;

namespace Shifts.Web.Tests.Members;

/// <summary>A new qualification's code, made from its name when the coordinator leaves it empty.</summary>
public sealed class QualificationCodeTests
{
    [Theory]
    [InlineData("Erste Hilfe", "erste-hilfe")]
    [InlineData("Führerschein Klasse B", "fuehrerschein-klasse-b")]
    [InlineData("  Café -- Barista! ", "cafe-barista")]
    [InlineData("Sanitäts\u00ADdienst (Ü18)", "sanitaetsdienst-ue18")]
    [InlineData("!!!", "")]
    public void A_qualifications_code_is_made_from_its_name(string name, string code)
    {
        Assert.Equal(code, QualificationCode.From(name));
        Assert.Equal(code.Length > 0, QualificationCode.IsValid(code));
    }

    [Fact]
    public void A_long_name_makes_a_code_of_at_most_fifty_characters_without_a_trailing_hyphen()
    {
        var code = QualificationCode.From(string.Join(' ', Enumerable.Repeat("abcdefghi", 8)));

        Assert.True(code.Length <= QualificationCode.MaxLength);
        Assert.True(QualificationCode.IsValid(code));
    }
}
