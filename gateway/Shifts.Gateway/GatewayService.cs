namespace Shifts.Gateway;

/// <summary>Names the gateway's assembly where a type is needed to host it (tests, tools); holds nothing.</summary>
public sealed class GatewayService
{
    private GatewayService()
    {
    }
}
