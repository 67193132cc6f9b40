using Hyperstore.Api.Audit;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Clients;
using Hyperstore.Api.Hosting;
using Hyperstore.Api.Store;
using Scalar.AspNetCore;

if (args is ["clients", .. var clientArgs])
{
    return await ClientsCommandLine.RunAsync(clientArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHyperstoreRedis();
builder.AddHyperstoreAuth();
builder.AddHyperstoreRateLimiting();
builder.AddHyperstoreStore();
builder.AddHyperstoreHealth();
builder.AddHyperstoreTelemetry();
builder.AddRequestStats();

var app = builder.Build();
app.UseRequestStats();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseHyperstoreMetricsEndpoint();
app.UseHyperstoreAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHyperstoreHealth();
app.MapStore();
app.MapAudit();
if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

await app.RunAsync();
return 0;
