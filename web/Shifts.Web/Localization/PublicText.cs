namespace Shifts.Web.Localization;

/// <summary>Marker for the strings of the public pages: the plan, joining, confirming (Resources/Localization/PublicText*.resx).</summary>
public sealed class PublicText;
