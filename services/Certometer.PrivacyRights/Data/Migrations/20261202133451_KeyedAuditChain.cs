using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyedAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "receipt_digest",
                table: "audit_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_stage",
                table: "audit_entries",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_status",
                table: "audit_entries",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "receipt_digest",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "request_stage",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "request_status",
                table: "audit_entries");
        }
    }
}
