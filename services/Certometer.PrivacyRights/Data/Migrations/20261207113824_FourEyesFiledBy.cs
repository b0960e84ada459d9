using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class FourEyesFiledBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "filed_by",
                table: "privacy_requests",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "filed_by",
                table: "privacy_requests");
        }
    }
}
