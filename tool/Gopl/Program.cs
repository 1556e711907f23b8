using Gopl;
using var shutdown = new ShutdownSignal();

return await GoplCli.RunAsync(args, shutdown.Token);
