namespace Shifts.Volunteers.Memberships;

/// <summary>What a coordinator read, as recorded in <c>contact_access_log.action</c> (and shown in the reader's own export).</summary>
public static class ContactReads
{
    public const string List = "list";
    public const string Search = "search";
    public const string Read = "read";
    public const string Invitations = "invitations";
}
