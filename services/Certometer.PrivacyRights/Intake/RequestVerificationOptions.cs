using System.ComponentModel.DataAnnotations;

namespace Certometer.PrivacyRights.Intake;

/// <summary>How requests made without signing in are verified (section <c>PrivacyRights:Verification</c>).</summary>
public sealed class RequestVerificationOptions
{
    public const string SectionName = "PrivacyRights:Verification";

    /// <summary>How long an emailed code is valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Wrong codes allowed before the verification is used up; with six digits, guessing stays hopeless.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long an expired verification is kept, so a late attempt is told it expired rather than that it never existed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan KeptAfterExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Per client address, starting verifications and trying codes together (each code also has its own attempt limit):
    /// enough for an office behind one address, too few to mail-bomb an account or guess codes at scale.
    /// </summary>
    public Certometer.Auth.WindowLimit AbuseLimit { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };

    /// <summary>
    /// Codes sent to one typed address, whoever asks: many client addresses together still cannot fill one inbox. Beyond
    /// it the answer is the same as ever and no code goes out.
    /// </summary>
    public Certometer.Auth.WindowLimit CodesPerAddress { get; set; } = new() { PermitLimit = 3, Window = TimeSpan.FromHours(1) };
}
