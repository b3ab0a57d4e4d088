using System.Net;
using System.Net.Http.Json;

namespace Shifts.Volunteers.Tests.Login;

/// <summary>
/// Issue 12: a login token is decoded defensively. Whatever a caller sends as one, the answer is
/// 401 <c>unauthenticated</c> ("invalid, used or expired"), never a 500.
/// </summary>
[Collection(nameof(VolunteersCollection))]
public sealed class LoginTokenDecodingTests(VolunteersFixture fixture)
{
    [Theory]
    // 43 base64url characters whose last one sets the 2 bits 32 bytes leave unused: not canonical.
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("__________________________________________-")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_token_that_is_not_one_of_ours_is_401(string token)
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token });

        await Problems.AssertUnauthenticatedAsync(response);
    }

    [Fact]
    public async Task A_real_token_with_its_last_character_changed_to_a_non_canonical_one_is_401_and_the_real_one_still_works()
    {
        var org = await fixture.CreateOrganisationAsync();
        var member = await fixture.AddMemberAsync(org);
        var token = await fixture.LoginLinkTokenAsync(member.Email);
        // The last character carries 4 of the secret's bits and 2 spare ones; setting a spare bit
        // decodes (leniently) to the same bytes, so only a canonical check tells them apart.
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        var twin = token[..^1] + alphabet[last | 1];
        using var client = fixture.Client();

        using (var forged = await client.PostAsJsonAsync("/api/auth/sessions", new { token = twin }))
        {
            await Problems.AssertUnauthenticatedAsync(forged);
        }

        using var real = await client.PostAsJsonAsync("/api/auth/sessions", new { token });
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }
}
