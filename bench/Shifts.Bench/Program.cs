using System.Security.Cryptography;
using Shifts.Bench;

// ./shifts bench runs this twice: "keygen" for the signing key it configures for the volunteers
// service (Auth__SigningKey), then "run" against the system it started (bench/README.md).
switch (args.FirstOrDefault())
{
    case "keygen":
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            Console.Write(key.ExportPkcs8PrivateKeyPem());
        }

        return 0;
    case "run":
        return await new BenchRun(BenchSettings.FromEnvironment(args)).RunAsync();
    default:
        Console.Error.WriteLine("usage: Shifts.Bench keygen | run [--quick] [--clients N]   (use ./shifts bench)");
        return 2;
}
