using Shifts.ServiceDefaults;
using Shifts.Web.Api;
using Shifts.Web.Components;
using Shifts.Web.Localization;
using Shifts.Web.Session;

// `dotnet Shifts.Web.dll new-key FOLDER [ACTIVATION-DATE]`: writes a Data Protection key for the key
// ring Secret (README, "Deploying"), the default from the given date (yyyy-MM-dd, UTC) or now.
switch (args)
{
    case ["new-key", var folder]:
        Console.WriteLine(KeyRing.CreateKey(folder));
        return 0;
    case ["new-key", var folder, var date] when DateTimeOffset.TryParse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var activation):
        Console.WriteLine(KeyRing.CreateKey(folder, activation));
        return 0;
}

var builder = WebApplication.CreateBuilder(args);

// Static assets (site.css, blazor.web.js) from the build's manifest in every environment, not only
// in Development: test hosts and `./shifts up` run the built project, not a published folder.
builder.WebHost.UseStaticWebAssets();

// Telemetry, health, trusted proxies and resilient HttpClients like every other part.
builder.AddServiceDefaults();

// Pages are rendered on the server and sent as HTML (static SSR); blazor.web.js, when it runs,
// only makes links and forms feel like an app (enhanced navigation). No circuit, no WebAssembly.
builder.Services.AddRazorComponents();
builder.Services.AddHttpContextAccessor();
builder.Services.AddMemoryCache();

// German and English, from the language cookie, the person's profile, then Accept-Language.
builder.AddShiftsLocalization();

// The session: the mailed link is exchanged for tokens kept in an encrypted __Host- cookie; the
// key ring is shared by every replica (Session/KeyRing.cs), so each accepts the others' cookies
// and antiforgery tokens.
builder.AddShiftsSession();

// The public API, through the gateway, with the person's access token (Api/ShiftsApi.cs).
builder.AddShiftsApi();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.MapHealthEndpointsOnly();
app.MapStaticAssets();
// Authentication first: the signed-in person's own language is one of the ways to choose it.
app.UseAuthentication();
app.UseRequestLocalization();
app.UseAuthorization();
app.UseAntiforgery();

// The few answers that are not pages: log out, switch language, file downloads.
app.MapSessionEndpoints();
app.MapLanguageEndpoint();
app.MapDownloads();

app.MapRazorComponents<App>();

return await app.RunServiceAsync();
