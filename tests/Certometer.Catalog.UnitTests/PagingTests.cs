using Certometer.Catalog.Http;

namespace Certometer.Catalog.UnitTests;

public sealed class PagingTests
{
    [Fact]
    public void Without_paging_parameters_the_first_page_of_20_is_served()
    {
        Paging.Validate(null, null).ShouldBeEmpty();
        Paging.Resolve(null, null).ShouldBe((1, 20));
    }

    [Theory]
    [InlineData(0, 20, "page")]
    [InlineData(int.MaxValue, 20, "page")]
    [InlineData(Paging.MaxPage + 1, 100, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 101, "pageSize")]
    public void Pages_start_at_1_and_hold_1_to_100_courses(int page, int pageSize, string refused)
    {
        Paging.Validate(page, pageSize).Keys.ShouldBe([refused]);
    }

    [Fact]
    public void The_largest_page_is_100()
    {
        Paging.Validate(3, 100).ShouldBeEmpty();
        Paging.Resolve(3, 100).ShouldBe((3, 100));
    }
}
