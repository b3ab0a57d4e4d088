using System.Text;
using MimeKit.Utils;

namespace Shifts.Bench.Smtp;

/// <summary>
/// The two headers the sink records, read from the header block alone (RFC 5322: up to the first
/// empty line; folded lines unfolded). The subject is decoded (RFC 2047: "Bestätigt" travels encoded),
/// so the bench can match a mail by what its subject says. The body is never parsed.
/// </summary>
internal static class MailHeaders
{
    public static (string Subject, string MessageId) Read(ReadOnlySpan<byte> message)
    {
        string? subject = null;
        string? messageId = null;
        var header = new StringBuilder();
        foreach (var line in Lines(message))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                header.Append(line); // a folded continuation of the header above
                continue;
            }

            Take(header.ToString(), ref subject, ref messageId);
            header.Clear();
            if (line.Length == 0)
            {
                break; // the end of the header block
            }

            header.Append(line);
        }

        Take(header.ToString(), ref subject, ref messageId);
        return (subject ?? "", messageId ?? "");
    }

    private static void Take(string header, ref string? subject, ref string? messageId)
    {
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return;
        }

        var name = header[..colon].Trim();
        var value = header[(colon + 1)..].Trim();
        if (subject is null && name.Equals("Subject", StringComparison.OrdinalIgnoreCase))
        {
            subject = Rfc2047.DecodeText(Encoding.UTF8.GetBytes(value));
        }
        else if (messageId is null && name.Equals("Message-Id", StringComparison.OrdinalIgnoreCase))
        {
            messageId = value.Trim('<', '>');
        }
    }

    private static List<string> Lines(ReadOnlySpan<byte> message)
    {
        var lines = new List<string>();
        while (message.Length > 0)
        {
            var end = message.IndexOf("\r\n"u8);
            var line = end < 0 ? message : message[..end];
            lines.Add(Encoding.UTF8.GetString(line));
            if (end < 0 || line.Length == 0)
            {
                break;
            }

            message = message[(end + 2)..];
        }

        return lines;
    }
}
