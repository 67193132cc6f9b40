using System.Reflection;
using BenchmarkDotNet.Attributes;
using Hyperstore.Bench.Microbenchmarks;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>
/// Every microbenchmark runs once as BenchmarkDotNet would (global setup, the method, global cleanup). A benchmark that
/// throws only shows as an empty row in the benchmark report; here it fails the test run.
/// </summary>
public class MicrobenchmarkSmokeTests
{
    public static TheoryData<string, string> Benchmarks()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in typeof(FakeRedis).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract))
        {
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                data.Add(type.Name, method.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public async Task Benchmark_RunsOnce(string typeName, string methodName)
    {
        var type = typeof(FakeRedis).Assembly.GetTypes().Single(t => t.Name == typeName);
        var instance = Activator.CreateInstance(type)!;
        try
        {
            await InvokeAllAsync<GlobalSetupAttribute>(instance);
            await AwaitAsync(type.GetMethod(methodName)!.Invoke(instance, null));
            await InvokeAllAsync<GlobalCleanupAttribute>(instance);
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Benchmarks_AreFound() => Assert.True(Benchmarks().Count >= 10);

    private static async Task InvokeAllAsync<TAttribute>(object instance) where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            await AwaitAsync(method.Invoke(instance, null));
        }
    }

    private static async Task AwaitAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task;
                break;
            case { } value when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>):
                await (Task)value.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(value, null)!;
                break;
            case ValueTask valueTask:
                await valueTask;
                break;
        }
    }
}
