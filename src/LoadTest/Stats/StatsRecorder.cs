using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HdrHistogram;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// Records every request of a run. Each endpoint has its own lock (held for a few counter updates and one
/// histogram increment), the per-second history is closed by one sampler, and nothing is allocated per request.
/// </summary>
internal sealed class StatsRecorder
{
    /// <summary>Distinct failure messages kept; more are counted under one "other" row so memory stays bounded.</summary>
    public const int MaxDistinctFailures = 500;

    private readonly ConcurrentDictionary<EndpointKey, Endpoint> _endpoints = new();
    private readonly ConcurrentDictionary<(EndpointKey Key, string Error), StrongBox<long>> _failures = new();
    private readonly List<HistoryRecord> _history = [];
    private readonly LongHistogram _intervalAggregate = LatencyHistograms.Create();
    private readonly LongHistogram _cumulativeAggregate = LatencyHistograms.Create();
    private readonly HistogramEncoder _encoder = new();
    private readonly Lock _historyLock = new();
    private long _requests;
    private long _failureCount;
    private long _soldOut;

    public long Requests => Interlocked.Read(ref _requests);
    public long FailureCount => Interlocked.Read(ref _failureCount);
    public long SoldOut => Interlocked.Read(ref _soldOut);

    /// <summary>The handle a client keeps per endpoint, so recording does not look anything up.</summary>
    public Endpoint For(string method, string name) => _endpoints.GetOrAdd(new EndpointKey(method, name), k => new Endpoint(this, k));

    public void Record(string method, string name, long micros, long contentBytes, Outcome outcome, string? error = null) =>
        For(method, name).Record(micros, contentBytes, outcome, error);

    /// <summary>Closes the current second of history, labelled <paramref name="unixSecond"/>.</summary>
    public HistoryRecord CloseInterval(long unixSecond, int users, double cpuPercent)
    {
        lock (_historyLock)
        {
            long requests = 0, failures = 0, soldOut = 0, sum = 0, bytes = 0, max = 0;
            long min = long.MaxValue;
            _intervalAggregate.Reset();
            foreach (var endpoint in _endpoints.Values)
            {
                endpoint.DrainInterval(_intervalAggregate, ref requests, ref failures, ref soldOut, ref sum, ref min, ref max, ref bytes);
            }

            if (_history.Count > 0 && unixSecond <= _history[^1].T)
            {
                unixSecond = _history[^1].T + 1;
            }

            _cumulativeAggregate.Add(_intervalAggregate);
            var record = new HistoryRecord
            {
                T = unixSecond,
                Users = users,
                Requests = requests,
                Failures = failures,
                SoldOut = soldOut,
                SumMicros = sum,
                MinMicros = requests == 0 ? 0 : min,
                MaxMicros = max,
                ContentBytes = bytes,
                CpuPercent = Math.Round(cpuPercent, 1),
                Histogram = requests == 0 ? "" : _encoder.Encode(_intervalAggregate),
            };
            _history.Add(record);
            return record;
        }
    }

    /// <summary>Percentile (0–100) of all requests up to the last closed second, in ms; for the live display.</summary>
    public double CumulativePercentileMs(double percentile)
    {
        lock (_historyLock)
        {
            return _cumulativeAggregate.TotalCount == 0 ? 0 : _cumulativeAggregate.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public IReadOnlyList<EndpointRecord> EndpointRecords()
    {
        lock (_historyLock)
        {
            return [.. _endpoints.Values.Select(e => e.ToRecord(_encoder)).Where(r => r.Requests > 0)
                .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<FailureRecord> FailureRecords() =>
        [.. _failures.Select(f => new FailureRecord(f.Key.Key.Method, f.Key.Key.Name, f.Key.Error, Interlocked.Read(ref f.Value.Value)))
            .OrderByDescending(f => f.Occurrences)];

    public IReadOnlyList<HistoryRecord> HistoryRecords()
    {
        lock (_historyLock)
        {
            return [.. _history];
        }
    }

    private void CountFailure(EndpointKey key, string error)
    {
        if (!_failures.TryGetValue((key, error), out var box))
        {
            if (_failures.Count >= MaxDistinctFailures)
            {
                error = "(other errors: too many distinct messages)";
            }

            box = _failures.GetOrAdd((key, error), _ => new StrongBox<long>());
        }

        Interlocked.Increment(ref box.Value);
    }

    /// <summary>One endpoint's live counters: all-run totals plus the current second.</summary>
    internal sealed class Endpoint
    {
        private readonly StatsRecorder _owner;
        private readonly Lock _lock = new();
        private readonly LongHistogram _total = LatencyHistograms.Create();
        private readonly LongHistogram _interval = LatencyHistograms.Create();
        private long _requests, _failures, _soldOut, _sum, _min = long.MaxValue, _max, _bytes;
        private long _iRequests, _iFailures, _iSoldOut, _iSum, _iMin = long.MaxValue, _iMax, _iBytes;

        internal Endpoint(StatsRecorder owner, EndpointKey key)
        {
            _owner = owner;
            Key = key;
        }

        public EndpointKey Key { get; }

        public void Record(long micros, long contentBytes, Outcome outcome, string? error = null)
        {
            micros = LatencyHistograms.Clamp(micros);
            bool failed = outcome == Outcome.Failure;
            bool soldOut = outcome == Outcome.SoldOut;
            lock (_lock)
            {
                _total.RecordValue(micros);
                _interval.RecordValue(micros);
                _requests++;
                _iRequests++;
                _sum += micros;
                _iSum += micros;
                _bytes += contentBytes;
                _iBytes += contentBytes;
                if (micros < _min) _min = micros;
                if (micros > _max) _max = micros;
                if (micros < _iMin) _iMin = micros;
                if (micros > _iMax) _iMax = micros;
                if (failed)
                {
                    _failures++;
                    _iFailures++;
                }
                else if (soldOut)
                {
                    _soldOut++;
                    _iSoldOut++;
                }
            }

            Interlocked.Increment(ref _owner._requests);
            if (failed)
            {
                Interlocked.Increment(ref _owner._failureCount);
                _owner.CountFailure(Key, error ?? "unknown error");
            }
            else if (soldOut)
            {
                Interlocked.Increment(ref _owner._soldOut);
            }
        }

        internal void DrainInterval(LongHistogram into, ref long requests, ref long failures, ref long soldOut,
            ref long sum, ref long min, ref long max, ref long bytes)
        {
            lock (_lock)
            {
                if (_iRequests == 0)
                {
                    return;
                }

                into.Add(_interval);
                requests += _iRequests;
                failures += _iFailures;
                soldOut += _iSoldOut;
                sum += _iSum;
                bytes += _iBytes;
                min = Math.Min(min, _iMin);
                max = Math.Max(max, _iMax);
                _interval.Reset();
                _iRequests = _iFailures = _iSoldOut = _iSum = _iMax = _iBytes = 0;
                _iMin = long.MaxValue;
            }
        }

        internal EndpointRecord ToRecord(HistogramEncoder encoder)
        {
            lock (_lock)
            {
                return new EndpointRecord
                {
                    Method = Key.Method,
                    Name = Key.Name,
                    Requests = _requests,
                    Failures = _failures,
                    SoldOut = _soldOut,
                    SumMicros = _sum,
                    MinMicros = _requests == 0 ? 0 : _min,
                    MaxMicros = _max,
                    ContentBytes = _bytes,
                    Histogram = _requests == 0 ? "" : encoder.Encode(_total),
                };
            }
        }
    }
}
