namespace Shifts.ServiceDefaults.Paging;

/// <summary>
/// One page of a keyset-paged list: the items and, when more follow, the opaque cursor to ask for
/// the next page with (<c>?cursor=</c>). Every list endpoint of the API answers in this shape.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The one rule for <c>?limit=</c>, and turning limit + 1 fetched rows into a page.</summary>
public static class Page
{
    /// <summary>What a list returns when the caller names no limit.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The most a caller may ask for in one page; more is a 400 naming <c>limit</c>.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// A page from rows fetched with <c>LIMIT limit + 1</c>: the extra row only says that more
    /// follow, and the cursor is the position of the last row returned.
    /// </summary>
    public static Page<TItem> Of<TRow, TItem>(IReadOnlyList<TRow> rows, int limit, Func<TRow, TItem> item, Func<TRow, string> cursorOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(cursorOf);
        var more = rows.Count > limit;
        var taken = more ? rows.Take(limit).ToList() : rows;
        return new Page<TItem>(taken.Select(item).ToList(), more ? cursorOf(taken[^1]) : null);
    }

    /// <summary>The same when the rows are the items.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> rows, int limit, Func<T, string> cursorOf) => Of(rows, limit, row => row, cursorOf);
}
