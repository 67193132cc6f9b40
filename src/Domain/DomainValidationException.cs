namespace Hyperstore.Domain;

/// <summary>A value or command that breaks a rule of the domain; its message is fit to show to the caller.</summary>
public sealed class DomainValidationException(string message) : Exception(message);
