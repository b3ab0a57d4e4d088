namespace Shifts.Web;

/// <summary>Names the web app's assembly for test hosts (ServiceFactory&lt;WebService&gt;), like GatewayService.</summary>
public sealed class WebService;
