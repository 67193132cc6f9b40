namespace Hyperstore.LoadTest.Cli;

/// <summary>The process exit code; the failure bits add up (2 + 4 = 6: thresholds and ledger failed; 8 + 2 = 10: nothing succeeded and a threshold failed).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int ThresholdsFailed = 2;
    public const int LedgerFailed = 4;

    /// <summary>Not one request succeeded (every one failed, or none was made): a run that measured nothing.</summary>
    public const int NothingSucceeded = 8;

    /// <summary>An error the load client did not expect (EX_SOFTWARE in sysexits.h); its stack trace is printed.</summary>
    public const int Unexpected = 70;
}
