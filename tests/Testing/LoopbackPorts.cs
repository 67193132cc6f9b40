using System.Net;
using System.Net.Sockets;

namespace Hyperstore.Testing;

public static class LoopbackPorts
{
    /// <summary>A loopback port free right now (the system picks it); whoever binds it next may race another process.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
