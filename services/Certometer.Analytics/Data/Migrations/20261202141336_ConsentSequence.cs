using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Analytics.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsentSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "consent_sequence",
                table: "collection_switches",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "consent_sequence",
                table: "collection_switches");
        }
    }
}
