using Microsoft.Extensions.Localization;

namespace Shifts.Web.Localization;

/// <summary>
/// Texts that say a number: "1 fehlt", "2 fehlen". German and English have one singular form, so a
/// key may have a ".one" sibling used for exactly one; without it the key serves every count.
/// </summary>
public static class Counted
{
    public static LocalizedString Count(this IStringLocalizer texts, string key, int count, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(more);
        object[] values = [count, .. more];
        if (count == 1 && texts[key + ".one", values] is { ResourceNotFound: false } one)
        {
            return one;
        }

        return texts[key, values];
    }
}
