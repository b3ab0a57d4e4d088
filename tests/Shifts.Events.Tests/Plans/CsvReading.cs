using System.Text;
using CsvHelper;

namespace Shifts.Events.Tests.Plans;

/// <summary>Reads a CSV download back as a spreadsheet would, after checking what every download promises: UTF-8 with BOM, an attachment.</summary>
public static class CsvReading
{
    public static async Task<List<string[]>> ReadAsync(HttpResponseMessage response, string fileName)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.True(body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF, "the file starts with the UTF-8 byte order mark");

        // The header is a row like the others here: the tests compare it too.
        using var csv = CsvReader.Create(body, new CsvReaderOptions { HasHeader = false, Separator = ',' });
        var rows = new List<string[]>();
        while (await csv.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetString)]);
        }

        return rows;
    }
}
