using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class PrivacyNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PrivacyRequestId",
                table: "outgoing_messages",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PrivacyRequestId",
                table: "outgoing_messages");
        }
    }
}
