namespace Shifts.Web.Localization;

/// <summary>Marker for the event editor's strings (Resources/Localization/EditorText.resx, EditorText.de.resx).</summary>
public sealed class EditorText;
