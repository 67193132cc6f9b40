using System.Net;
using System.Text.Json;
using Hyperstore.Api.Clients;
using Hyperstore.Api.Tests.Support;
using Spectre.Console;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>
/// The operator's <c>clients</c> command (<c>Hyperstore.Api clients add|list|rotate|remove</c>) against the same Redis as the API:
/// what it prints is what a client then uses at <c>POST /oauth/token</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public class ClientsCommandTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    /// <summary>Runs the command with its output captured (the console is process-wide, hence the lock).</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        await ConsoleLock.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        // Not disposed: Spectre.Console may hold on to a writer after the run, and a closed one would throw there.
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            // Spectre.Console keeps one static console bound to the writer it first saw; give it this run's.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            var exitCode = await ClientsCommandLine.RunAsync([.. args, "--redis", Api.Server.ConnectionString]);
            return (exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
            ConsoleLock.Release();
        }
    }

    private async Task<HttpResponseMessage> TokenAsync(string clientId, string secret) =>
        await Anonymous.PostAsync(new Uri("/oauth/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));

    [Fact]
    public async Task ClientsAdd_WithJson_PrintsASecretThatGetsAToken()
    {
        var (exitCode, output, _) = await RunAsync("add", "--id", "loadtest", "--scopes", "read,buy", "--json");

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        Assert.Equal("loadtest", printed.RootElement.GetProperty("client_id").GetString());
        Assert.Equal(["read", "buy"], printed.RootElement.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var secret = printed.RootElement.GetProperty("client_secret").GetString()!;
        Assert.True(secret.Length >= 43, "256 random bits");
        using var token = await TokenAsync("loadtest", secret);
        await token.AssertStatusAsync(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        Assert.Equal("read buy", body.RootElement.GetProperty("scope").GetString());
        Assert.Equal(Security.Sha256Hex(secret), (string?)await Api.Database.HashGetAsync("hyperstore:client:loadtest", "secret_sha256"));
    }

    [Fact]
    public async Task ClientsAdd_ForExistingClient_FailsAndKeepsItsSecret()
    {
        var (exitCode, _, error) = await RunAsync("add", "--id", TestClients.Shopper, "--scopes", "read", "--json");

        Assert.Equal(1, exitCode);
        Assert.Contains("exists already", error, StringComparison.Ordinal);
        using var token = await TokenAsync(TestClients.Shopper, Api.SecretOf(TestClients.Shopper));
        await token.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("--scopes", "read,admin")]
    [InlineData("--id", "not valid!")]
    public async Task ClientsAdd_WithBadArgument_FailsAndRegistersNothing(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--id"] = "newclient", ["--scopes"] = "read" };
        args[option] = value;

        var (exitCode, _, _) = await RunAsync("add", "--id", args["--id"], "--scopes", args["--scopes"], "--json");

        Assert.NotEqual(0, exitCode);
        Assert.False(await Api.Database.SetContainsAsync("hyperstore:clients", args["--id"]));
    }

    [Fact]
    public async Task ClientsList_WithJson_ListsClientsWithoutSecrets()
    {
        var (exitCode, output, _) = await RunAsync("list", "--json");

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        var clients = printed.RootElement.EnumerateArray().ToDictionary(
            c => c.GetProperty("client_id").GetString()!,
            c => string.Join(' ', c.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal(TestClients.Scopes.ToDictionary(c => c.Key, c => string.Join(' ', c.Value)), clients);
        Assert.DoesNotContain("secret", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Api.SecretOf(TestClients.Shopper), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsRotate_GivesANewSecretAndTheOldOneStopsWorking()
    {
        var oldSecret = Api.SecretOf(TestClients.Auditor);

        var (exitCode, output, _) = await RunAsync("rotate", "--id", TestClients.Auditor, "--json");

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        var newSecret = printed.RootElement.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        using var withOld = await TokenAsync(TestClients.Auditor, oldSecret);
        using var withNew = await TokenAsync(TestClients.Auditor, newSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        await withNew.AssertStatusAsync(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await withNew.Content.ReadAsStringAsync());
        Assert.Equal("read audit", body.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task ClientsRemove_ThenTokenRequest_Returns401InvalidClient()
    {
        var (exitCode, output, _) = await RunAsync("remove", "--id", TestClients.Reader, "--json");

        Assert.Equal(0, exitCode);
        using var printed = JsonDocument.Parse(output);
        Assert.True(printed.RootElement.GetProperty("removed").GetBoolean());
        using var token = await TokenAsync(TestClients.Reader, Api.SecretOf(TestClients.Reader));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.False(await Api.Database.SetContainsAsync("hyperstore:clients", TestClients.Reader));
    }

    [Theory]
    [InlineData("rotate")]
    [InlineData("remove")]
    public async Task ClientsRotateOrRemove_OfUnknownClient_Fails(string command)
    {
        var (exitCode, _, error) = await RunAsync(command, "--id", "ghost", "--json");

        Assert.Equal(1, exitCode);
        Assert.Contains("no client 'ghost'", error, StringComparison.Ordinal);
    }

    private static class Security
    {
        public static string Sha256Hex(string text) =>
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
