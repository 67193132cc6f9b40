using System.ComponentModel;
using System.Text.Json;
using Hyperstore.Api.Auth;
using Hyperstore.Domain.Values;
using Spectre.Console;
using Spectre.Console.Cli;
using StackExchange.Redis;

namespace Hyperstore.Api.Clients;

/// <summary>
/// The operator's command for OAuth2 clients, in the same binary as the service:
/// <c>Hyperstore.Api clients add --id loadtest --scopes read,buy [--json]</c>, <c>list</c>, <c>rotate</c>, <c>remove</c>.
/// </summary>
public static class ClientsCommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("Hyperstore.Api clients");
            config.AddCommand<AddClientCommand>("add").WithDescription("Register a client; prints its secret once.")
                .WithExample("add", "--id", "loadtest", "--scopes", "read,buy");
            config.AddCommand<ListClientsCommand>("list").WithDescription("List clients and their scopes (never secrets).");
            config.AddCommand<RotateClientCommand>("rotate").WithDescription("Give a client a new secret; the old one stops working.");
            config.AddCommand<RemoveClientCommand>("remove").WithDescription("Remove a client; its tokens work until they expire.");
        });
        return app.RunAsync(args);
    }

    public class ConnectionSettings : CommandSettings
    {
        [CommandOption("--redis <CONNECTION>")]
        [Description("StackExchange.Redis connection string. Default: ConnectionStrings__Redis, then 127.0.0.1:6379.")]
        public string? Redis { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON for scripts.")]
        public bool Json { get; init; }

        public async Task<ClientStore> ConnectAsync()
        {
            var connection = Redis ?? Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:6379";
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(connection);
            return new ClientStore(multiplexer);
        }
    }

    public class ClientIdSettings : ConnectionSettings
    {
        [CommandOption("--id <CLIENT_ID>")]
        [Description("The client id: 1 to 64 letters, digits, '.', '_' or '-'.")]
        public string Id { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            ClientId.TryParse(Id, out _, out var error) ? ValidationResult.Success() : ValidationResult.Error(error);
    }

    public sealed class AddSettings : ClientIdSettings
    {
        [CommandOption("--scopes <SCOPES>")]
        [Description("Comma-separated scopes the client may request: read, buy, stock, audit.")]
        public string Scopes { get; init; } = Auth.ApiScopes.Read;

        public string[] ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override ValidationResult Validate()
        {
            var unknown = ScopeList.Where(s => !Auth.ApiScopes.All.Contains(s)).ToList();
            return unknown.Count > 0
                ? ValidationResult.Error($"Unknown scope(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Auth.ApiScopes.All)}.")
                : ScopeList.Length == 0 ? ValidationResult.Error("Name at least one scope.") : base.Validate();
        }
    }

    public sealed class AddClientCommand : AsyncCommand<AddSettings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, AddSettings settings, CancellationToken cancellationToken)
        {
            var store = await settings.ConnectAsync();
            var secret = await store.SaveAsync(settings.Id, settings.ScopeList, replace: false);
            if (secret is null)
            {
                await Console.Error.WriteLineAsync($"error: client '{settings.Id}' exists already; use 'rotate' for a new secret.");
                return 1;
            }
            PrintSecret(settings, settings.Id, secret, settings.ScopeList);
            return 0;
        }
    }

    public sealed class RotateClientCommand : AsyncCommand<ClientIdSettings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, ClientIdSettings settings, CancellationToken cancellationToken)
        {
            var store = await settings.ConnectAsync();
            var existing = await store.FindAsync(settings.Id);
            if (existing is null)
            {
                await Console.Error.WriteLineAsync($"error: no client '{settings.Id}'.");
                return 1;
            }
            var secret = await store.SaveAsync(settings.Id, existing.Scopes.ToArray(), replace: true);
            PrintSecret(settings, settings.Id, secret!, existing.Scopes);
            return 0;
        }
    }

    public sealed class RemoveClientCommand : AsyncCommand<ClientIdSettings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, ClientIdSettings settings, CancellationToken cancellationToken)
        {
            var store = await settings.ConnectAsync();
            if (!await store.RemoveAsync(settings.Id))
            {
                await Console.Error.WriteLineAsync($"error: no client '{settings.Id}'.");
                return 1;
            }
            Console.WriteLine(settings.Json ? JsonSerializer.Serialize(new { client_id = settings.Id, removed = true }) : $"Removed client '{settings.Id}'.");
            return 0;
        }
    }

    public sealed class ListClientsCommand : AsyncCommand<ConnectionSettings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, ConnectionSettings settings, CancellationToken cancellationToken)
        {
            var store = await settings.ConnectAsync();
            var clients = await store.ListAsync();
            if (settings.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(clients.Select(c => new { client_id = c.ClientId, scopes = c.Scopes, created_at = c.CreatedAt })));
                return 0;
            }
            var table = new Table().AddColumns("Client id", "Scopes", "Created");
            foreach (var client in clients)
            {
                table.AddRow(Markup.Escape(client.ClientId), string.Join(' ', client.Scopes), client.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        }
    }

    private static void PrintSecret(ConnectionSettings settings, string clientId, string secret, IEnumerable<string> scopes)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { client_id = clientId, client_secret = secret, scopes }));
            return;
        }
        Console.WriteLine($"client_id:     {clientId}");
        Console.WriteLine($"client_secret: {secret}");
        Console.WriteLine($"scopes:        {string.Join(' ', scopes)}");
        Console.WriteLine("The secret is shown only now; only its hash is stored.");
    }
}
