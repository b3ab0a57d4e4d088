namespace Shifts.Web.Localization;

/// <summary>Marker for the coordinators' pages' strings (Resources/Localization/CoordinationText.resx, CoordinationText.de.resx).</summary>
public sealed class CoordinationText;
