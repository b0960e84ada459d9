using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class PendingEmailChange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "pending_email",
                table: "accounts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "pending_email_expires_at",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "pending_email",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "pending_email_expires_at",
                table: "accounts");
        }
    }
}
