using System.Buffers.Text;
using System.Globalization;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Tests.Domain;

/// <summary>
/// The lists' keyset cursors (ServiceDefaults Paging/Cursor.cs) as the event and shift lists write
/// and read them: (starts_at, id), base64url. What the list wrote reads back exactly; anything else
/// (edited, cut short, lengthened, another list's) is refused, which the list answers with 400 naming cursor.
/// </summary>
public sealed class CursorTests
{
    private static readonly DateTimeOffset StartsAt = DateTimeOffset.Parse("2027-03-28T10:00:00.1234567+02:00", CultureInfo.InvariantCulture);
    private static readonly Guid Id = Guid.Parse("0192d4a8-5c3e-7b1a-9f00-123456789abc");

    /// <summary>How ListShifts and ListEvents read their cursor.</summary>
    private static (DateTimeOffset StartsAt, Guid Id)? ReadListCursor(string? text, ValidationErrors errors) =>
        errors.Cursor(text, reader => reader.Instant(out var startsAt) && reader.Guid(out var id) ? (startsAt, id) : ((DateTimeOffset StartsAt, Guid Id)?)null);

    private static string ListCursor() => new CursorWriter().Instant(StartsAt).Guid(Id).ToString();

    [Fact]
    public void A_list_cursor_reads_back_as_the_same_instant_and_id()
    {
        var errors = new ValidationErrors();

        var read = ReadListCursor(ListCursor(), errors);

        Assert.False(errors.Any);
        Assert.Equal(StartsAt, read!.Value.StartsAt);
        Assert.Equal(StartsAt.UtcTicks, read.Value.StartsAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Value.StartsAt.Offset);
        Assert.Equal(Id, read.Value.Id);
    }

    [Fact]
    public void A_cursor_is_base64url_without_padding_and_travels_in_a_query_string_as_it_is()
    {
        var cursor = ListCursor();

        Assert.Equal(32, cursor.Length); // 24 bytes
        Assert.All(cursor, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' needs no escaping"));
        Assert.Equal(cursor, Uri.EscapeDataString(cursor));
    }

    [Fact]
    public void Every_kind_of_field_round_trips_in_order()
    {
        var text = new CursorWriter().Boolean(true).Text("Infostand – Ünterwegs").Instant(StartsAt).Guid(Id).Boolean(false).ToString();

        Assert.True(CursorReader.TryOpen(text, out var reader));
        Assert.True(reader.Boolean(out var first));
        Assert.True(reader.Text(out var title));
        Assert.True(reader.Instant(out var startsAt));
        Assert.True(reader.Guid(out var id));
        Assert.False(reader.End);
        Assert.True(reader.Boolean(out var last));
        Assert.True(reader.End);
        Assert.Equal((true, "Infostand – Ünterwegs", StartsAt, Id, false), (first, title, startsAt, id, last));
        Assert.False(reader.Boolean(out _));
    }

    public static TheoryData<string, string> Tampered()
    {
        var cursor = ListCursor();
        var bytes = Base64Url.DecodeFromChars(cursor);
        return new TheoryData<string, string>
        {
            { "cut short", cursor[..^4] },
            { "a byte more", Base64Url.EncodeToString([.. bytes, 0]) },
            { "padded", cursor + "==" },
            { "standard base64's alphabet", Convert.ToBase64String(bytes) + "+/" },
            { "not base64 at all", "next page, please" },
            { "another list's (text first)", new CursorWriter().Text("a").Guid(Id).ToString() },
            { "an instant out of range", Base64Url.EncodeToString([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. bytes[8..]]) },
            { "too long", new string('A', CursorReader.MaxLength + 4) },
        };
    }

    [Theory]
    [MemberData(nameof(Tampered))]
    public void A_cursor_this_list_did_not_write_is_refused_naming_cursor(string what, string text)
    {
        var errors = new ValidationErrors();

        var read = ReadListCursor(text, errors);

        Assert.True(read is null, $"{what} is refused");
        Assert.Equal(["cursor"], Fields.Of(errors));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(31)]
    public void An_edited_character_never_reads_as_the_position_the_list_stopped_at(int index)
    {
        var cursor = ListCursor();
        var edited = cursor[..index] + (cursor[index] == 'w' ? 'g' : 'w') + cursor[(index + 1)..];
        var errors = new ValidationErrors();

        var read = ReadListCursor(edited, errors);

        // Base64url has no checksum: an edit may still decode, but never to the row the list stopped at.
        Assert.NotEqual(cursor, edited);
        Assert.True(read is null || read.Value != (StartsAt, Id), $"{edited} reads as another position or none");
    }

    [Fact]
    public void No_cursor_is_the_first_page_not_an_error()
    {
        var errors = new ValidationErrors();

        Assert.Null(ReadListCursor(null, errors));
        Assert.False(errors.Any);
        Assert.False(CursorReader.TryOpen("", out _));
    }

    [Fact]
    public void Text_that_is_not_UTF8_or_holds_NUL_is_refused()
    {
        Assert.True(CursorReader.TryOpen(Base64Url.EncodeToString([0, 0, 0, 2, 0xC3, 0x28]), out var invalid));
        Assert.False(invalid.Text(out _));
        Assert.True(CursorReader.TryOpen(new CursorWriter().Text("a\0b").ToString(), out var nul));
        Assert.False(nul.Text(out _));
        Assert.True(CursorReader.TryOpen(Base64Url.EncodeToString([0xFF, 0xFF, 0xFF, 0xFF]), out var negative));
        Assert.False(negative.Text(out _));
    }
}
