using Certometer.HolderContract.Tombstones;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.UnitTests;

public sealed class TombstoneKeyTests
{
    private const string Key = "tombstone-key-0123456789abcdef0123456789";
    private static readonly Guid Subject = Guid.Parse("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b");

    private static ErasureTombstones Tombstones(string key) => new(Options.Create(new ErasureTombstoneOptions { TombstoneKey = key }));

    [Fact]
    public void A_subject_has_the_same_tombstone_for_as_long_as_the_key_stays()
    {
        Tombstones(Key).KeyOf(Subject).ShouldBe(Tombstones(Key).KeyOf(Subject));
    }

    [Fact]
    public void A_tombstone_holds_no_trace_of_the_subject_id()
    {
        var tombstone = Tombstones(Key).KeyOf(Subject);

        tombstone.Length.ShouldBe(32);
        Convert.ToHexString(tombstone).ShouldNotContain(Convert.ToHexString(Subject.ToByteArray())[..8]);
    }

    [Fact]
    public void Without_the_key_a_tombstone_cannot_be_matched_to_a_known_id()
    {
        Tombstones(Key + "x").KeyOf(Subject).ShouldNotBe(Tombstones(Key).KeyOf(Subject));
        Tombstones(Key).KeyOf(Guid.NewGuid()).ShouldNotBe(Tombstones(Key).KeyOf(Subject));
    }

    [Fact]
    public void Erasure_and_writes_for_a_subject_meet_on_a_lock_taken_from_its_tombstone()
    {
        var tombstone = Tombstones(Key).KeyOf(Subject);

        ErasureTombstones.LockOf(Tombstones(Key).KeyOf(Subject)).ShouldBe(ErasureTombstones.LockOf(tombstone));
        ErasureTombstones.LockOf(Tombstones(Key).KeyOf(Guid.NewGuid())).ShouldNotBe(ErasureTombstones.LockOf(tombstone));
    }
}
