namespace Shifts.Web.Localization;

/// <summary>Marker for the strings of the person's own pages (Resources/Localization/MeText.resx, MeText.de.resx).</summary>
public sealed class MeText;
