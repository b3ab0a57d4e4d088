using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Volunteers.Login;

public sealed record LoginLinkRequest(string? Email);

/// <summary>
/// Passwordless login, step one: ask for a link by email. The answer is 202 whether or not the
/// address is known, so the endpoint cannot be used to find out who is a member.
/// </summary>
public static class LoginLinksApi
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapLoginLinks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login-links", RequestLoginLink);
        return app;
    }

    private static async Task<Results<Accepted, ValidationProblem>> RequestLoginLink(
        LoginLinkRequest request,
        Transactions transactions,
        IConfiguration configuration,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!IsEmail(request.Email))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["email"] = ["A valid email address of at most 254 characters is required."] },
                detail: "A valid email address is required.");
        }

        await transactions.RunAsync(async (transaction, token) =>
        {
            var volunteer = await FindVolunteerAsync(transaction, request.Email!, token);
            if (volunteer is null)
            {
                return; // same answer, no mail: nobody learns whether the address is known
            }

            var secret = RandomNumberGenerator.GetBytes(32);
            var expiresAt = time.GetUtcNow() + LinkLifetime;
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO login_links (token_hash, volunteer_id, expires_at) VALUES (@hash, @volunteer, @expires)",
                transaction.Connection, transaction))
            {
                insert.Parameters.AddWithValue("hash", SHA256.HashData(secret));
                insert.Parameters.AddWithValue("volunteer", volunteer.Id);
                insert.Parameters.AddWithValue("expires", expiresAt);
                await insert.ExecuteNonQueryAsync(token);
            }

            var link = new Uri(PublicBaseUrl(configuration), $"login?token={Base64Url(secret)}");
            await Outbox.EnqueueAsync(transaction,
                new LoginLinkRequested(volunteer.Id, volunteer.Email, volunteer.Name, volunteer.Locale, link, expiresAt),
                token);
        }, cancellationToken);

        return TypedResults.Accepted((string?)null);
    }

    private sealed record Volunteer(Guid Id, string Email, string Name, string Locale);

    private static async Task<Volunteer?> FindVolunteerAsync(NpgsqlTransaction transaction, string email, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, email, name, locale FROM volunteers WHERE lower(email) = lower(@email)",
            transaction.Connection, transaction);
        command.Parameters.AddWithValue("email", email.Trim());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Volunteer(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    internal static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 }
        && MailAddress.TryCreate(value.Trim(), out var address)
        && address.Address == value.Trim();

    private static Uri PublicBaseUrl(IConfiguration configuration)
    {
        var value = configuration["Shifts:PublicBaseUrl"] ?? "http://localhost:8080/";
        return new Uri(value.EndsWith('/') ? value : value + "/");
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
