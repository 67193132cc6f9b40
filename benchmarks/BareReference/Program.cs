using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

// The bare reference service: see the project file. Configuration: ConnectionStrings__Redis, ASPNETCORE_URLS,
// Bare__Prefix (the key prefix, default "{hyper:bare}:").
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var configuration = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
configuration.ClientName = "hyperstore-bare";
var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
var prefix = builder.Configuration["Bare:Prefix"] ?? "{hyper:bare}:";
RedisKey stockKey = prefix + "stock";
RedisKey[] buyKeys = [stockKey, prefix + "events"];

using var stream = typeof(BareStock).Assembly.GetManifestResourceStream("buy.lua")
    ?? throw new InvalidOperationException("buy.lua is not embedded.");
var script = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
foreach (var server in redis.GetServers())
{
    await server.ScriptLoadAsync(script);
}
#pragma warning disable CA5350 // SHA1 is how Redis names scripts, not a security measure.
var sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(script));
#pragma warning restore CA5350

var app = builder.Build();

app.MapGet("/health", () => "ok");

app.MapGet("/api/hyper", async () =>
{
    var value = await redis.GetDatabase().StringGetAsync(stockKey);
    return Results.Ok(new BareStock(value.IsNull ? 0 : (long)value, "bare"));
});

app.MapPut("/api/hyper/own", async () =>
{
    var reply = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(sha1, buyKeys,
        ["bare", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()]))!;
    var stock = (long)reply[0];
    return stock < 0
        ? Results.Conflict()
        : Results.Ok(new BareBuy("bare", stock, 1, (string)reply[1]!));
});

await app.RunAsync();

internal sealed record BareStock(long Quantity, string Region);

internal sealed record BareBuy(string Region, long Quantity, long Bought, string Position);
