using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class ForgetPayloadOnceSent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "forget_payload_once_sent",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "forget_payload_once_sent",
                table: "outbox_messages");
        }
    }
}
