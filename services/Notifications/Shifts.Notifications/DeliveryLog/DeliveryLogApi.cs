using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Notifications.DeliveryLog;

/// <summary>One mail as its recipient sees it in GET /api/me/notifications.</summary>
public sealed record NotificationView(Guid Id, string Kind, string Channel, string Subject, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>One mail as a coordinator sees it in the organisation's delivery log, with why it failed.</summary>
public sealed record DeliveryView(
    Guid Id, string Kind, string Channel, Guid? RecipientId, string? RecipientName, string RecipientEmail, string Subject,
    string Status, string? Reason, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>
/// What was sent: to the caller (<see cref="MyNotifications"/>, newest first) and, for
/// coordinators, to their organisation's members (<see cref="OrganisationDeliveries"/>, failures
/// first, then newest). Both are keyset pages (docs/api.md, paging): their cost follows the page,
/// not the log. Both list 20 entries when no limit is named, as they always did.
/// </summary>
public static class DeliveryLogApi
{
    /// <summary>The mails on a delivery log's page when the caller names no limit.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Every mail goes by e-mail; the field is there for the channels to come.</summary>
    public const string Channel = "email";

    public static IEndpointRouteBuilder MapDeliveryLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/notifications", MyNotifications.ListAsync)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("Notifications")
            .WithSummary("The mails sent to the caller, newest first")
            .ProducesProblems(StatusCodes.Status400BadRequest, ProblemCodes.Validation);
        app.MapGet("/api/orgs/{org}/deliveries", OrganisationDeliveries.ListAsync)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithTags("Delivery log")
            .WithSummary("The organisation's delivery log for its coordinators: failures first, then newest")
            .ProducesProblems(StatusCodes.Status400BadRequest, ProblemCodes.Validation)
            .ProducesProblems(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden)
            .AddOpenApiOperationTransformer(TypeStatusParameter);
        return app;
    }

    /// <summary>
    /// The handler binds <c>status</c> as text, so that a value outside the list is a 400 naming
    /// the field rather than a binding failure; the document still says which values there are.
    /// </summary>
    private static Task TypeStatusParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { In: ParameterLocation.Query, Name: "status" } status)
            {
                status.Description = "Only the mails in this state ('pending' includes those being sent).";
                status.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. OrganisationDeliveries.Statuses.Select(s => (JsonNode)JsonValue.Create(s))],
                };
            }
        }

        return Task.CompletedTask;
    }
}
