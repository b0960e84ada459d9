using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInMethods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "method",
                table: "sign_ins",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "pwd");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "method",
                table: "sign_ins");
        }
    }
}
