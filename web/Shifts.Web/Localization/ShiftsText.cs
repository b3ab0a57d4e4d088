namespace Shifts.Web.Localization;

/// <summary>Marker for the open-shift list's and the shift page's strings (Resources/Localization/ShiftsText.resx, ShiftsText.de.resx).</summary>
public sealed class ShiftsText;
