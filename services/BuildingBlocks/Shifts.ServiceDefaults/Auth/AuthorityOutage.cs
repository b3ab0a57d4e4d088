using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.ServiceDefaults.Auth;

/// <summary>
/// When the signing keys cannot be fetched from <c>Auth:Authority</c> (the volunteers service is
/// restarting, or not up yet when this process starts), a token signed with an unknown key cannot
/// be judged: the token handler swallows the failed fetch and reports "no key", which would be a
/// 401 — and a client told its valid token is invalid signs its user out. So before answering 401
/// for an unknown key, the key set is fetched once more; if that fails too, the answer is 503
/// with <c>Retry-After</c>, like any other dependency that is briefly away.
/// </summary>
internal static class AuthorityOutage
{
    private const string Key = "shifts.authority-unreachable";

    public static JwtBearerEvents Events() => new()
    {
        OnAuthenticationFailed = async context =>
        {
            if (context.Exception is not SecurityTokenSignatureKeyNotFoundException || context.Options.ConfigurationManager is not { } keys)
            {
                return;
            }

            try
            {
                keys.RequestRefresh();
                await keys.GetConfigurationAsync(context.HttpContext.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
            {
                context.HttpContext.Items[Key] = ex.Message;
            }
        },
        OnChallenge = async context =>
        {
            if (!context.HttpContext.Items.ContainsKey(Key))
            {
                return;
            }

            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            var problem = Problem.UnavailableDetails(
                "The access token cannot be checked right now (the signing keys are out of reach); try again in a few seconds.");
            await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
        },
    };
}
