using System.Globalization;

namespace Shifts.Web.Components.Coordination;

/// <summary>How a shift is staffed, as the bar and its words say it: confirmed of capacity, the minimum, who waits.</summary>
public sealed record Staffing(int Confirmed, int Minimum, int Capacity, int Waitlisted, int Invited = 0)
{
    /// <summary>Below the minimum: the shift cannot happen as planned.</summary>
    public bool Short => Confirmed < Minimum;

    public bool Full => Confirmed >= Capacity;

    /// <summary>"short", "open" or "full": the bar's colour and the row's mark.</summary>
    public string Level => Short ? "short" : Full ? "full" : "open";

    /// <summary>Places up to the minimum that nobody holds yet.</summary>
    public int Missing => Math.Max(Minimum - Confirmed, 0);

    public int Free => Math.Max(Capacity - Confirmed, 0);

    /// <summary>The bar's scale: the capacity, or more when a coordinator put someone on beyond it.</summary>
    public int Scale => Math.Max(Math.Max(Capacity, Confirmed), 1);

    /// <summary>x of the end of the confirmed part, in a bar 100 wide.</summary>
    public double ConfirmedEnd => Fraction(Math.Min(Confirmed, Scale));

    /// <summary>x of the minimum's mark.</summary>
    public double MinimumAt => Fraction(Math.Min(Minimum, Scale));

    /// <summary>x of the end of the pending invitations' part (after the confirmed places, up to the capacity).</summary>
    public double InvitedEnd => Fraction(Math.Min(Confirmed + Invited, Scale));

    /// <summary>The dividers between places, when there are few enough to count (up to 20).</summary>
    public IEnumerable<double> PlaceDividers => Scale <= 20 ? Enumerable.Range(1, Scale - 1).Select(Fraction) : [];

    private double Fraction(int places) => 100.0 * places / Scale;

    /// <summary>An SVG number: invariant, at most two decimals.</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
