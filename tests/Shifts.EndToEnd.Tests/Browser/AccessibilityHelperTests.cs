namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>The axe helper can fail: a page with an image without text and an unlabelled field does not pass.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class AccessibilityHelperTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_axe_scan_fails_on_an_image_without_text_and_a_field_without_a_label_and_names_both()
    {
        await using var context = await browser.NewContextAsync(BrowserFixture.Options(Screen.Phone));
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><head><title>Bad</title></head><body><main><h1>Bad</h1><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"><input type=\"text\"></main></body></html>");

        var failure = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => page.AssertNoSeriousViolationsAsync("the bad page"));

        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label", failure.Message, StringComparison.Ordinal);
        Assert.Contains("<img", failure.Message, StringComparison.Ordinal);
    }
}
