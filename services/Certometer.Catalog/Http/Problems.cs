using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.Catalog.Http;

/// <summary>The RFC 7807 answers Catalog gives when a request cannot be carried out.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string title) => TypedResults.Problem(title: title, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict);
}

/// <summary>Page numbers and sizes for every list: bounded, so no request can ask the database for everything.</summary>
internal static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The last page whose first item's offset still fits the database's 32-bit offset at the largest page size.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public static Dictionary<string, string[]> Validate(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"Pages are numbered from 1 to {MaxPage}."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Ask for 1 to {MaxPageSize} items per page."];
        }

        return errors;
    }

    public static (int Page, int PageSize) Resolve(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultPageSize);
}
