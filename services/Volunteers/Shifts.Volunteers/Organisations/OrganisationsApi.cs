using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Shifts.Volunteers.Organisations;

public sealed record OrganisationView(string Slug, string Name, string TimeZone, string CancellationDeadline);

public static class OrganisationsApi
{
    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orgs/{org}", GetOrganisation);
        return app;
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetOrganisation(string org, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT slug, name, time_zone, cancellation_deadline FROM organisations WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", org);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no organisation '{org}'.");
        }

        var deadline = System.Xml.XmlConvert.ToString(reader.GetFieldValue<TimeSpan>(3));
        return TypedResults.Ok(new OrganisationView(reader.GetString(0), reader.GetString(1), reader.GetString(2), deadline));
    }
}
