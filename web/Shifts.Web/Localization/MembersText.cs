namespace Shifts.Web.Localization;

/// <summary>Marker for the coordinators' members and qualifications pages' strings (Resources/Localization/MembersText.resx, MembersText.de.resx).</summary>
public sealed class MembersText;
