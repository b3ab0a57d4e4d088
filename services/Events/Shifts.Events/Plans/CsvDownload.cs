using System.Globalization;
using CsvHelper;
using Microsoft.Net.Http.Headers;

namespace Shifts.Events.Plans;

/// <summary>
/// The CSV downloads (the event plan, the hours list): RFC 4180 as CsvHelper writes it (comma,
/// CRLF, quotes where needed), UTF-8 with a byte order mark so spreadsheet apps read umlauts right,
/// a header row, and an attachment's file name. Asked for with <c>Accept: text/csv</c>; JSON otherwise.
/// Titles and names are people's input: one that starts like a formula (= + - @) is written with a
/// leading ' so that a spreadsheet shows it as text instead of running it (CSV injection).
/// </summary>
public static class CsvDownload
{
    public const string ContentType = "text/csv; charset=utf-8";

    public const string MediaType = "text/csv";

    private static readonly CsvWriterOptions Options = new()
    {
        WriteByteOrderMark = true,
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>True when the request's Accept header names text/csv (JSON stays the default).</summary>
    public static bool IsWanted(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
            && accepted.Any(media => media.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase) && media.Quality is not 0);
    }

    /// <summary>The rows as a CSV file: a header row, then one line per row; the response names it as an attachment.</summary>
    public static IResult File(HttpResponse response, string fileName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            foreach (var row in rows.Prepend(header))
            {
                csv.WriteRecord([.. row]);
            }
        }

        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "private, no-store";
        return TypedResults.Bytes(buffer.ToArray(), ContentType);
    }

    /// <summary>A local time as the downloads write it: <c>yyyy-MM-dd HH:mm</c>.</summary>
    public static string Local(DateTimeOffset local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
